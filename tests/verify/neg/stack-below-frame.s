# expect: stack access out of bounds: offset -520, 8 bytes
stdw [%r10-520], 1
mov %r0, 0
exit
