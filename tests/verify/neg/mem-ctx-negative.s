# expect: context access at negative offset -4
ldxw %r0, [%r1-4]
exit
