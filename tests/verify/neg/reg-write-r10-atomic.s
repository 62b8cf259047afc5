# expect: write to r10: the frame pointer is read-only
mov %r0, 0
lock fetch add [%r10-8], %r10
exit
