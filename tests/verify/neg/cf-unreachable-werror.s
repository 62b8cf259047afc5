# expect: unreachable code (instructions 2..3)
# options: -Werror
mov %r0, 0
exit
mov %r0, 1
exit
