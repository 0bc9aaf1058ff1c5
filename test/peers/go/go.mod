module isotls.test/peers/go

go 1.25
