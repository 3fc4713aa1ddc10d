package cli

import (
	"context"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/scalebook/scalebook/internal/pipeline"
	"github.com/scalebook/scalebook/internal/server"
)

// calcDir holds the calculator engine's sources when scalebook runs in its
// own repository. The engine is compiled into the binary, so an edit there
// needs a restart, which the server says.
const calcDir = "calc"

func runServe(args []string, stdout, stderr io.Writer) int {
	var o server.Options
	fs := newFlags("serve", "serve [-addr HOST:PORT] [-content DIR] [-theme DIR] [-base-url URL] [-cache-dir DIR] [-drafts]", stderr)
	addSiteFlags(fs, &o.Build)
	fs.StringVar(&o.Addr, "addr", server.DefaultAddr, "`host:port` to listen on; another interface than 127.0.0.1 must be asked for here (0.0.0.0:1313)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		io.WriteString(stderr, "scalebook serve: unexpected argument "+quote(fs.Arg(0))+"\n")
		fs.Usage()
		return 2
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		io.WriteString(stderr, "scalebook serve: -addr "+quote(o.Addr)+" is not host:port (like 127.0.0.1:1313)\n")
		return 2
	}
	if _, err := pipeline.BasePath(o.Build); err != nil && o.Build.BaseURL != "" {
		io.WriteString(stderr, "scalebook serve: "+err.Error()+"\n")
		return 2
	}
	o.RestartOn = []string{calcDir}
	o.Stdout, o.Stderr = stdout, stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first Ctrl-C, a second one kills at once, in case a
		// long build keeps the clean shutdown waiting.
		<-ctx.Done()
		stop()
	}()
	if err := server.Run(ctx, o); err != nil {
		io.WriteString(stderr, "scalebook serve: "+err.Error()+"\n")
		return 1
	}
	return 0
}
