# expect: call into the middle of an lddw
mov %r0, 0
# call local +2: the second half of the lddw below
.insn 0x0000000200001085
exit
lddw %r0, 1
exit
