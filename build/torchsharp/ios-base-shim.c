/* Provides std::ios_base_library_init() (mangled below), which libstdc++ 13 exports at GLIBCXX_3.4.32 and
 * TorchSharp's glue library references. Older libstdc++ initialises the standard streams through
 * ios_base::Init objects, so the function has nothing left to do. */
void _ZSt21ios_base_library_initv(void) {}
