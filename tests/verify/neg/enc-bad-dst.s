# expect: invalid or reserved destination register
# mov %r11, 0
.insn 0x0000000000000bb7
mov %r0, 0
exit
