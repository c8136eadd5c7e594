// These tests measure the order and spacing of requests on real sockets: run the classes one at a time so
// they do not slow each other's stand-ins down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
