# expect: lddw refers to offset 8 of .data, past its end (0 bytes)
lddw %r1, .data+8
mov %r0, 0
exit
