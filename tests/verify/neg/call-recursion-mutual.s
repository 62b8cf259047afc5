# expect: recursion is not allowed
mov %r1, 3
call local a
exit
a:
mov %r0, 0
call local b
exit
b:
mov %r0, 0
call local a
exit
