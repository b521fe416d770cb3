using System.Runtime.InteropServices;
using System.Text;

namespace Engine.Backends.Cuda.Native;

/// <summary>
/// The one place where native status codes become exceptions: every call into the driver, NVRTC, cuBLAS or the
/// emulator goes through one of these checks, which name the call and the error (as the library itself names
/// it when it is loaded: cuGetErrorName, nvrtcGetErrorString, cublasGetStatusName, cudnnGetErrorString).
/// </summary>
internal static class CudaStatus
{
    public static void Check(this CuResult status, string call, string? detail = null)
    {
        if (status != CuResult.Success) throw new CudaException(call, NameOf(status), (int)status, detail);
    }

    public static void Check(this NvrtcResult status, string call, string? detail = null)
    {
        if (status != NvrtcResult.Success) throw new CudaException(call, NameOf(status), (int)status, detail);
    }

    public static void Check(this CublasStatus status, string call, string? detail = null)
    {
        if (status != CublasStatus.Success) throw new CudaException(call, NameOf(status), (int)status, detail);
    }

    public static void Check(this CudnnStatus status, string call, string? detail = null)
    {
        if (status != CudnnStatus.Success) throw new CudaException(call, NameOf(status), (int)status, detail);
    }

    public static unsafe string NameOf(CuResult status)
    {
        if (NativeLibraries.IsLoaded(NativeLibraries.Driver))
        {
            byte* name = null;
            if (CudaDriverApi.cuGetErrorName(status, &name) == CuResult.Success && name != null)
                return Marshal.PtrToStringUTF8((IntPtr)name) ?? status.ToString();
        }
        return Enum.IsDefined(status) ? "CUDA_ERROR_" + ScreamingSnake(status.ToString()) : $"CUresult {(int)status}";
    }

    public static unsafe string NameOf(NvrtcResult status)
    {
        if (NativeLibraries.IsLoaded(NativeLibraries.Nvrtc))
        {
            byte* name = NvrtcApi.nvrtcGetErrorString(status);
            if (name != null) return Marshal.PtrToStringUTF8((IntPtr)name) ?? status.ToString();
        }
        return Enum.IsDefined(status) ? "NVRTC_ERROR_" + ScreamingSnake(status.ToString()) : $"nvrtcResult {(int)status}";
    }

    public static unsafe string NameOf(CublasStatus status)
    {
        if (NativeLibraries.IsLoaded(NativeLibraries.Cublas))
        {
            byte* name = CublasApi.cublasGetStatusName(status);
            if (name != null) return Marshal.PtrToStringUTF8((IntPtr)name) ?? status.ToString();
        }
        return Enum.IsDefined(status) ? "CUBLAS_STATUS_" + ScreamingSnake(status.ToString()) : $"cublasStatus_t {(int)status}";
    }

    public static unsafe string NameOf(CudnnStatus status)
    {
        if (NativeLibraries.IsLoaded(NativeLibraries.Cudnn))
        {
            byte* name = CudnnApi.cudnnGetErrorString(status);
            if (name != null) return Marshal.PtrToStringUTF8((IntPtr)name) ?? status.ToString();
        }
        return Enum.IsDefined(status) ? "CUDNN_STATUS_" + ScreamingSnake(status.ToString()) : $"cudnnStatus_t {(int)status}";
    }

    /// <summary>OutOfMemory becomes OUT_OF_MEMORY, the way CUDA spells its constants.</summary>
    private static string ScreamingSnake(string pascal)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i])) text.Append('_');
            text.Append(char.ToUpperInvariant(pascal[i]));
        }
        return text.ToString();
    }
}
