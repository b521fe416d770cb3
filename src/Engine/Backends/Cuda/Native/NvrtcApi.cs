using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda.Native;

/// <summary>NVRTC (libnvrtc.so.13/12/11.x): compiles CUDA C++ source to PTX at run time.</summary>
internal static unsafe partial class NvrtcApi
{
    private const string Library = NativeLibraries.Nvrtc;

    static NvrtcApi() => NativeLibraries.Register();

    [LibraryImport(Library)] public static partial NvrtcResult nvrtcVersion(int* major, int* minor);
    [LibraryImport(Library)] public static partial byte* nvrtcGetErrorString(NvrtcResult result);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetNumSupportedArchs(int* count);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetSupportedArchs(int* architectures);

    [LibraryImport(Library)]
    public static partial NvrtcResult nvrtcCreateProgram(IntPtr* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcDestroyProgram(IntPtr* program);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcCompileProgram(IntPtr program, int optionCount, byte** options);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetPTXSize(IntPtr program, nuint* size);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetPTX(IntPtr program, byte* ptx);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetProgramLogSize(IntPtr program, nuint* size);
    [LibraryImport(Library)] public static partial NvrtcResult nvrtcGetProgramLog(IntPtr program, byte* log);
}
