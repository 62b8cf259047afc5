# expect: reserved field 'offset' is not zero
mov %r0, 0
# exit with offset 1
.insn 0x0000000000010095
