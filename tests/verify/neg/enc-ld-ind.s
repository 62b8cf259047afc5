# expect: legacy packet access (LD_ABS/LD_IND) is not supported
# ldindb %r1, 4
.insn 0x0000000400001050
exit
