// Command etcd runs the etcd server of go.etcd.io/etcd/server/v3 with the command line it
// is given (the same flags as the upstream etcd binary).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
