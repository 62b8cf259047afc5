# expect: entries 0 and 1 start at the same instruction 0
# options: --entry a=0,b=0
mov %r0, 1
exit
