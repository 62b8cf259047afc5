# expect: write to r10: the frame pointer is read-only
mov %r10, 0
mov %r0, 0
exit
