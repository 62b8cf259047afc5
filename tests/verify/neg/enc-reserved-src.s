# expect: invalid or reserved source register
# add32 %r0, 1 with src = 3 (reserved for the immediate form)
.insn 0x0000000100003004
exit
