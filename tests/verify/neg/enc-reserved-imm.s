# expect: reserved field 'imm' is not zero
mov %r0, 0
# add %r0, %r1 with imm = 7
.insn 0x000000070000100f
exit
