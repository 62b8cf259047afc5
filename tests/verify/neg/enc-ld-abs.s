# expect: legacy packet access (LD_ABS/LD_IND) is not supported
# ldabsw 0
.insn 0x0000000000000020
exit
