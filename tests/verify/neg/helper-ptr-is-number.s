# expect: argument 1 of helper 2 (memcpy) must be a pointer, but r1 is a number
mov %r1, 4096
mov %r2, %r10
add %r2, -16
mov %r3, 8
call 2
exit
