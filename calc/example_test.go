package calc_test

import (
	"fmt"

	"github.com/scalebook/scalebook/calc"
)

func ExampleParse() {
	sheet, err := calc.Parse(`
dau      = 300M users   "Daily active users"  range 1M..2B log
reads    = 5 /day       "Timeline reads per user"
read_qps := dau * reads as req/s   "Reads per second"
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range sheet.Cells {
		fmt.Println(c.Name, c.Input, c.Label, c.Deps)
	}
	// Output:
	// dau true Daily active users []
	// reads true Timeline reads per user []
	// read_qps false Reads per second [dau reads]
}

func ExampleParse_errors() {
	_, err := calc.Parse("dau = 300M users\nread_qps := dua * 5 /day\nsize := 5 MB + 3 req/s\n")
	fmt.Println(err)
	// Output:
	// 2:13: unknown name "dua" — did you mean "dau"?
	// 3:14: cannot add 5 MB to 3 req/s (information vs rate)
}

func ExampleSheet_Eval() {
	sheet, _ := calc.Parse(`
dau      = 300M users
reads    = 5 /day
peak     = 3
read_qps := dau * reads as req/s
web      := servers(read_qps * peak, 1K req/s, 30%, 3)
`)
	res := sheet.Eval(map[string]string{"dau": "1B users"})
	for _, name := range []string{"read_qps", "web"} {
		r := res.Get(name)
		fmt.Println(r.Text, "|", r.Working)
	}
	// Output:
	// 57.9K req/s | 1B users × 5/day = 57.9K req/s
	// 249 | servers(57.9K req/s × 3, 1K req/s, 30%, 3) = 249
}

func ExampleEvalExpr() {
	for _, e := range []string{
		"300M * 5 / day",
		"300M * 5 / day * 10% * 5 MB",
		"300M * 1 KB / day as TB/month",
		"downtime(99.99%, year)",
	} {
		q, err := calc.EvalExpr(e)
		fmt.Println(q, err)
	}
	// Output:
	// 17.4K/s <nil>
	// 8.68 GB/s <nil>
	// 9.13 TB/month <nil>
	// 52.6 min <nil>
}

func ExampleParseQuantity() {
	for _, s := range []string{"1.5B", "1.5 B", "1,000,000", "25%", "1500 Mbps"} {
		q, _ := calc.ParseQuantity(s)
		fmt.Printf("%s = %g base units, shown as %s\n", s, q.Value(), q)
	}
	// Output:
	// 1.5B = 1.5e+09 base units, shown as 1.5B
	// 1.5 B = 1.5 base units, shown as 1.5 B
	// 1,000,000 = 1e+06 base units, shown as 1M
	// 25% = 0.25 base units, shown as 25%
	// 1500 Mbps = 1.875e+08 base units, shown as 1.5 Gbps
}

func ExampleQuantity_String() {
	q, _ := calc.EvalExpr("$0.023/GB/month * 50 TB")
	fmt.Println(q.String())
	// Output:
	// $1.15K/month
}

func ExampleQuantity_Format() {
	q, _ := calc.EvalExpr("300M * 5 / day * 10% * 5 MB")
	s, _ := q.Format("Gbps")
	fmt.Println(s)
	_, err := q.Format("req/s")
	fmt.Println(err)
	// Output:
	// 69.4 Gbps
	// 1:1: cannot show 8.68 GB/s as req/s: it is bandwidth (information/time), req/s is a rate (1/time)
}

func ExampleFuncs() {
	for _, f := range calc.Funcs()[:3] {
		fmt.Println(f.Signature)
	}
	// Output:
	// abs(x)
	// cache(read_rate, item_size, hot_fraction, period)
	// cdn_cost(volume)
}
