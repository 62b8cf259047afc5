# expect: lddw refers to .data, but the program has no .data section
lddw %r1, .data+8
mov %r0, 0
exit
