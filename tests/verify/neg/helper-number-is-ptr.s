# expect: argument 3 of helper 2 (memcpy) must be a number, but r3 is a pointer to the stack
mov %r1, %r10
add %r1, -8
mov %r2, %r10
add %r2, -16
mov %r3, %r10
call 2
exit
