# expect: write to r10: the frame pointer is read-only
stdw [%r10-8], 0
ldxdw %r10, [%r10-8]
mov %r0, 0
exit
