# expect: helper 2 (memcpy) writes through argument 1, but r1 points to read-only data
lddw %r1, .rodata+0
mov %r2, %r10
add %r2, -16
mov %r3, 0
call 2
exit
