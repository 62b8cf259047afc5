# expect: r0 read before it is written
# (r0 is 0 at the entry, so only a callee can return it unwritten)
mov %r0, 0
call local +1
exit
mov %r1, 0
exit
