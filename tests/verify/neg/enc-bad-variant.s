# expect: undefined variant of the opcode
mov %r0, 7
mov %r1, 2
# div %r0, %r1 with offset 2 (only 0 = div and 1 = sdiv exist)
.insn 0x000000000002103f
exit
