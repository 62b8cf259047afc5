# expect: call through r1 needs a known helper number
# options: --helpers 5
ldxb %r1, [%r1+0]
call %r1
exit
