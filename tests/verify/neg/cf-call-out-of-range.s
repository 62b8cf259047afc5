# expect: is out of range
mov %r0, 0
# call local +100
.insn 0x0000006400001085
exit
