module lvzhi

go 1.26.8
