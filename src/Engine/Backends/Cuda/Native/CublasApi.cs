using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda.Native;

/// <summary>cuBLAS v2 (libcublas.so.13/12/11): column-major GEMM on the backend's stream.</summary>
internal static unsafe partial class CublasApi
{
    private const string Library = NativeLibraries.Cublas;

    /// <summary>cublasOperation_t.</summary>
    public const int OperationN = 0, OperationT = 1;

    /// <summary>cublasMath_t: the default, and TF32 tensor-core math for F32 GEMMs.</summary>
    public const int DefaultMath = 0, Tf32TensorOpMath = 3;

    static CublasApi() => NativeLibraries.Register();

    [LibraryImport(Library, EntryPoint = "cublasCreate_v2")] public static partial CublasStatus cublasCreate(IntPtr* handle);
    [LibraryImport(Library, EntryPoint = "cublasDestroy_v2")] public static partial CublasStatus cublasDestroy(IntPtr handle);
    [LibraryImport(Library, EntryPoint = "cublasSetStream_v2")] public static partial CublasStatus cublasSetStream(IntPtr handle, IntPtr stream);
    [LibraryImport(Library)] public static partial CublasStatus cublasSetMathMode(IntPtr handle, int mode);
    [LibraryImport(Library)] public static partial byte* cublasGetStatusName(CublasStatus status);

    [LibraryImport(Library, EntryPoint = "cublasSgemm_v2")]
    public static partial CublasStatus cublasSgemm(IntPtr handle, int transa, int transb, int m, int n, int k, float* alpha,
        ulong a, int lda, ulong b, int ldb, float* beta, ulong c, int ldc);

    [LibraryImport(Library, EntryPoint = "cublasDgemm_v2")]
    public static partial CublasStatus cublasDgemm(IntPtr handle, int transa, int transb, int m, int n, int k, double* alpha,
        ulong a, int lda, ulong b, int ldb, double* beta, ulong c, int ldc);

    [LibraryImport(Library)]
    public static partial CublasStatus cublasSgemmStridedBatched(IntPtr handle, int transa, int transb, int m, int n, int k, float* alpha,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, float* beta, ulong c, int ldc, long strideC, int batch);

    [LibraryImport(Library)]
    public static partial CublasStatus cublasDgemmStridedBatched(IntPtr handle, int transa, int transb, int m, int n, int k, double* alpha,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, double* beta, ulong c, int ldc, long strideC, int batch);
}
