package e2e

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestZZShot(t *testing.T) {
	url := os.Getenv("SHOT_URL")
	if url == "" {
		t.Skip()
	}
	b := newBrowser(t, os.Getenv("SHOT_NOJS") == "")
	var buf []byte
	if err := chromedp.Run(b.ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(url), chromedp.Sleep(1e9),
		chromedp.Evaluate(`if (`+"`"+os.Getenv("SHOT_DARK")+"`"+`) document.documentElement.dataset.theme='dark'`, nil),
		chromedp.Screenshot(os.Getenv("SHOT_SEL"), &buf, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(os.Getenv("SHOT_OUT"), buf, 0o644)
}
