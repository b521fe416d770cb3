namespace Engine;

/// <summary>
/// A CUDA driver, NVRTC or cuBLAS call (or the emulated device standing in for them) failed. The message names
/// the call, the error as the library names it (for example <c>CUDA_ERROR_INVALID_VALUE</c>) and what was asked.
/// </summary>
public class CudaException : Exception
{
    /// <summary>Creates the exception for a failed native call.</summary>
    public CudaException(string call, string errorName, int code, string? detail = null)
        : base($"{call} failed: {errorName} ({code}){(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}")
    {
        Call = call;
        ErrorName = errorName;
        Code = code;
    }

    /// <summary>The native call that failed, with the arguments that identify it.</summary>
    public string Call { get; }

    /// <summary>The library's name for the status, such as <c>CUDA_ERROR_LAUNCH_FAILED</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The numeric status.</summary>
    public int Code { get; }
}
