# expect: invalid instruction: unknown opcode
mov %r0, 0
.insn 0x000000000000008f
exit
