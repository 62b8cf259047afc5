# expect: unsupported lddw pseudo source
# lddw %r1, map fd 1 (src = 1): no maps in femtoc
.insn 0x0000000100001018
.insn 0x0000000000000000
mov %r0, 0
exit
