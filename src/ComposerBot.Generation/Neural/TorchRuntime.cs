using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>Where the Transformer runs: "auto" picks CUDA when libtorch sees a GPU, else the CPU.</summary>
public static class TorchRuntime
{
    /// <summary>Loads libtorch (once per process) and resolves a device name: auto, cpu, cuda or cuda:N.</summary>
    public static Device Resolve(string device)
    {
        EnsureLoaded();
        var name = device.Trim().ToLowerInvariant();
        if (name == "auto")
        {
            return cuda.is_available() ? CUDA : CPU;
        }

        if (name == "cpu")
        {
            return CPU;
        }

        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new ModelLoadException($"device '{device}' was asked for, but libtorch sees no CUDA GPU (this build carries the CPU package; see docs/architecture.md, Running on a GPU).");
            }

            return new Device(name);
        }

        throw new ModelLoadException($"unknown device '{device}': use auto, cpu, cuda or cuda:N.");
    }

    /// <summary>Sets libtorch's intra-op threads (0 leaves its default: one per core).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0)
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Fails with one clear line when libtorch cannot load, e.g. an unpatched glue library on Debian 12.</summary>
    public static void EnsureLoaded()
    {
        try
        {
            InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            throw new ModelLoadException($"libtorch could not be loaded ({ex.GetBaseException().Message.Split('\n')[0].Trim()}); rebuild with ./composerbot, which patches TorchSharp for this system's libstdc++.", ex);
        }
    }
}
