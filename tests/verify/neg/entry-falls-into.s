# expect: entry 1 does not start a function: the instruction before it may run into it
# options: --entry a=0,b=1
mov %r0, 1
mov %r0, 2
exit
