using System.Runtime.InteropServices;
using System.Text;
using Engine.Backends.Cuda.Native;

namespace Engine.Backends.Cuda.Kernels;

/// <summary>Compiles CUDA C++ to PTX with NVRTC; a failed compilation throws with NVRTC's log in the message.</summary>
internal static unsafe class NvrtcCompiler
{
    /// <summary>NVRTC's version, as (major, minor).</summary>
    public static (int Major, int Minor) Version()
    {
        int major, minor;
        NvrtcApi.nvrtcVersion(&major, &minor).Check("nvrtcVersion");
        return (major, minor);
    }

    /// <summary>
    /// The virtual architecture to compile for: the device's compute capability, or the newest one this NVRTC
    /// knows when the device is newer (the driver JIT-compiles PTX for older architectures).
    /// </summary>
    public static int Architecture(int major, int minor)
    {
        int wanted = major * 10 + minor, count;
        NvrtcApi.nvrtcGetNumSupportedArchs(&count).Check("nvrtcGetNumSupportedArchs");
        var supported = new int[count];
        fixed (int* p = supported) NvrtcApi.nvrtcGetSupportedArchs(p).Check("nvrtcGetSupportedArchs");
        var usable = supported.Where(a => a <= wanted).ToArray();
        if (usable.Length == 0)
            throw new NotSupportedException($"NVRTC {Version()} cannot compile for compute capability {major}.{minor}; it supports {string.Join(", ", supported)}");
        return usable.Max();
    }

    /// <summary>PTX for <paramref name="source"/> (named <paramref name="fileName"/> in messages) with the given headers and options.</summary>
    public static byte[] Compile(string fileName, string source, IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<string> options)
    {
        var strings = new List<IntPtr>();
        IntPtr Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            strings.Add(pointer);
            return pointer;
        }
        try
        {
            var headerList = headers.ToArray();
            var headerTexts = headerList.Select(h => Utf8(h.Value)).ToArray();
            var headerNames = headerList.Select(h => Utf8(h.Key)).ToArray();
            var optionTexts = options.Select(Utf8).ToArray();
            IntPtr program;
            fixed (IntPtr* texts = headerTexts, names = headerNames)
                NvrtcApi.nvrtcCreateProgram(&program, (byte*)Utf8(source), (byte*)Utf8(fileName), headerList.Length, (byte**)texts, (byte**)names)
                    .Check($"nvrtcCreateProgram({fileName})");
            try
            {
                NvrtcResult status;
                fixed (IntPtr* optionPointers = optionTexts) status = NvrtcApi.nvrtcCompileProgram(program, optionTexts.Length, (byte**)optionPointers);
                if (status != NvrtcResult.Success)
                    status.Check($"nvrtcCompileProgram({fileName}, {string.Join(" ", options)})", "the compile log follows\n" + Log(program));
                nuint size;
                NvrtcApi.nvrtcGetPTXSize(program, &size).Check($"nvrtcGetPTXSize({fileName})");
                var ptx = new byte[size];
                fixed (byte* p = ptx) NvrtcApi.nvrtcGetPTX(program, p).Check($"nvrtcGetPTX({fileName})");
                return ptx;
            }
            finally
            {
                NvrtcApi.nvrtcDestroyProgram(&program);
            }
        }
        finally
        {
            foreach (var pointer in strings) Marshal.FreeCoTaskMem(pointer);
        }
    }

    private static string Log(IntPtr program)
    {
        nuint size;
        if (NvrtcApi.nvrtcGetProgramLogSize(program, &size) != NvrtcResult.Success || size <= 1) return "(NVRTC gave no log)";
        var log = new byte[size];
        fixed (byte* p = log)
            if (NvrtcApi.nvrtcGetProgramLog(program, p) != NvrtcResult.Success) return "(NVRTC's log could not be read)";
        return Encoding.UTF8.GetString(log, 0, (int)size - 1);
    }
}
