# expect: lddw without a valid second slot
mov %r0, 0
exit
# the first half of an lddw and nothing after it
.insn 0x0000000000000018
