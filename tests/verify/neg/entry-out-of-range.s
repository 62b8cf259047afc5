# expect: entry 1 at instruction 9 is out of range (the program has 2 instructions)
# options: --entry a=0,b=9
mov %r0, 1
exit
