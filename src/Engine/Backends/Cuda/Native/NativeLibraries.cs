using System.Reflection;
using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda.Native;

/// <summary>
/// Finds the native libraries of the CUDA backend. The bindings name a library by a short logical name; the
/// resolver tries each known versioned file name of the CUDA libraries (<see cref="Driver"/>, <see cref="Nvrtc"/>,
/// <see cref="Cublas"/>, <see cref="Cudnn"/>), first in the folders listed in <c>ENGINE_CUDA_LIBRARY_PATH</c>, then on the system's
/// library search path. The emulator library (<see cref="Emulator"/>) is the file named by
/// <c>ENGINE_CUDA_EMULATOR_LIBRARY</c>, or the one the build copies next to the application.
/// </summary>
internal static class NativeLibraries
{
    public const string Driver = "engine-cuda-driver";
    public const string Nvrtc = "engine-nvrtc";
    public const string Cublas = "engine-cublas";
    public const string Cudnn = "engine-cudnn";
    public const string Emulator = "engine-cuda-emulator";

    /// <summary>Folders (separated like <c>PATH</c>) searched before the system's library path.</summary>
    public const string PathVariable = "ENGINE_CUDA_LIBRARY_PATH";

    /// <summary>The emulator library's full path, when it is not next to the application.</summary>
    public const string EmulatorVariable = "ENGINE_CUDA_EMULATOR_LIBRARY";

    private const string EmulatorFileName = "libengine_cuda_emulator.so";

    private static readonly Dictionary<string, string[]> FileNames = new()
    {
        [Driver] = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"],
        [Nvrtc] = OperatingSystem.IsWindows()
            ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
            : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0", "libnvrtc.so"],
        [Cublas] = OperatingSystem.IsWindows()
            ? ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"]
            : ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"],
        // cuDNN 9's libcudnn.so.9 is a shim that loads libcudnn_cnn.so.9 and the other parts from the same folder.
        [Cudnn] = OperatingSystem.IsWindows() ? ["cudnn64_9.dll"] : ["libcudnn.so.9"],
    };

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IntPtr> Loaded = [];
    private static bool registered;

    /// <summary>Installs the resolver for this assembly; every binding class calls it from its static constructor.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            registered = true;
        }
    }

    /// <summary>The handle of a loaded library, or <see cref="IntPtr.Zero"/> when none of its names loads.</summary>
    public static IntPtr TryLoad(string library)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(library, out var handle)) return handle;
            handle = Probe(Candidates(library));
            if (handle != IntPtr.Zero) Loaded[library] = handle;
            return handle;
        }
    }

    /// <summary>True once the library has been loaded (this never tries to load it).</summary>
    public static bool IsLoaded(string library)
    {
        lock (Gate) return Loaded.ContainsKey(library);
    }

    /// <summary>The handle of a library, or a <see cref="DllNotFoundException"/> listing the names and folders tried.</summary>
    public static IntPtr Load(string library)
    {
        var handle = TryLoad(library);
        if (handle != IntPtr.Zero) return handle;
        if (library == Emulator)
            throw new DllNotFoundException(
                $"the CUDA emulator library was not found at {string.Join(" or ", Candidates(library))}; build it with ./build.sh " +
                $"(make -C kernels/emulator) or set {EmulatorVariable} to its path");
        var folders = SearchFolders();
        throw new DllNotFoundException(
            $"none of {string.Join(", ", FileNames[library])} could be loaded from {(folders.Length == 0 ? "" : string.Join(", ", folders) + " or ")}" +
            $"the system library path; set {PathVariable} to the folder that holds them");
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Emulator || FileNames.ContainsKey(name) ? Load(name) : IntPtr.Zero;

    /// <summary>Paths or bare file names to try, in order.</summary>
    private static IEnumerable<string> Candidates(string library)
    {
        if (library == Emulator)
        {
            var configured = Environment.GetEnvironmentVariable(EmulatorVariable);
            return string.IsNullOrEmpty(configured) ? [Path.Combine(AppContext.BaseDirectory, EmulatorFileName)] : [configured];
        }
        var names = FileNames[library];
        return SearchFolders().SelectMany(folder => names.Select(name => Path.Combine(folder, name))).Concat(names);
    }

    private static IntPtr Probe(IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        return IntPtr.Zero;
    }

    private static string[] SearchFolders() =>
        (Environment.GetEnvironmentVariable(PathVariable) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
