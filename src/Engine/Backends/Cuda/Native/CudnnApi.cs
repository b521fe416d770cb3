using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda.Native;

/// <summary>
/// cuDNN 9 (libcudnn.so.9): the handle, tensor, filter and convolution descriptors, algorithm search and the three
/// convolutions. cuDNN 9 keeps these legacy entry points (deprecated, in libcudnn_cnn.so.9, reached through the
/// libcudnn.so.9 shim); <see cref="MissingExports"/> checks that the loaded library has every one before any is called.
/// Device pointers are passed as <c>ulong</c>, as in the other bindings.
/// </summary>
internal static unsafe partial class CudnnApi
{
    private const string Library = NativeLibraries.Cudnn;

    /// <summary>cudnnDataType_t.</summary>
    public const int DataFloat = 0, DataDouble = 1;

    /// <summary>cudnnTensorFormat_t: row-major NCHW.</summary>
    public const int TensorNchw = 0;

    /// <summary>cudnnConvolutionMode_t: a convolution without flipping the kernel, as deep learning defines it.</summary>
    public const int CrossCorrelation = 1;

    /// <summary>cudnnMathType_t: the default (F64), TF32 tensor cores allowed, and plain FMA (F32 without TF32).</summary>
    public const int DefaultMath = 0, TensorOpMath = 1, FmaMath = 3;

    /// <summary>cudnnDeterminism_t: the algorithm gives the same bits run to run.</summary>
    public const int Deterministic = 1;

    static CudnnApi() => NativeLibraries.Register();

    /// <summary>The entry points the backend calls, by their exported names.</summary>
    public static readonly string[] Exports =
    [
        "cudnnGetVersion", "cudnnGetErrorString", "cudnnCreate", "cudnnDestroy", "cudnnSetStream",
        "cudnnCreateTensorDescriptor", "cudnnSetTensor4dDescriptor", "cudnnDestroyTensorDescriptor",
        "cudnnCreateFilterDescriptor", "cudnnSetFilter4dDescriptor", "cudnnDestroyFilterDescriptor",
        "cudnnCreateConvolutionDescriptor", "cudnnSetConvolution2dDescriptor", "cudnnSetConvolutionGroupCount",
        "cudnnSetConvolutionMathType", "cudnnDestroyConvolutionDescriptor",
        "cudnnFindConvolutionForwardAlgorithmEx", "cudnnFindConvolutionBackwardDataAlgorithmEx", "cudnnFindConvolutionBackwardFilterAlgorithmEx",
        "cudnnConvolutionForward", "cudnnConvolutionBackwardData", "cudnnConvolutionBackwardFilter",
    ];

    /// <summary>The entry points of <see cref="Exports"/> that the loaded <paramref name="library"/> lacks.</summary>
    public static string[] MissingExports(IntPtr library) => Exports.Where(name => !NativeLibrary.TryGetExport(library, name, out _)).ToArray();

    [LibraryImport(Library)] public static partial nuint cudnnGetVersion();
    [LibraryImport(Library)] public static partial byte* cudnnGetErrorString(CudnnStatus status);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnCreate(IntPtr* handle);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnDestroy(IntPtr handle);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnSetStream(IntPtr handle, IntPtr stream);

    [LibraryImport(Library)] public static partial CudnnStatus cudnnCreateTensorDescriptor(IntPtr* descriptor);
    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnSetTensor4dDescriptor(IntPtr descriptor, int format, int dataType, int n, int c, int h, int w);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnDestroyTensorDescriptor(IntPtr descriptor);

    [LibraryImport(Library)] public static partial CudnnStatus cudnnCreateFilterDescriptor(IntPtr* descriptor);
    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnSetFilter4dDescriptor(IntPtr descriptor, int dataType, int format, int k, int c, int h, int w);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnDestroyFilterDescriptor(IntPtr descriptor);

    [LibraryImport(Library)] public static partial CudnnStatus cudnnCreateConvolutionDescriptor(IntPtr* descriptor);
    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnSetConvolution2dDescriptor(IntPtr descriptor, int padH, int padW, int strideH, int strideW,
        int dilationH, int dilationW, int mode, int computeType);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnSetConvolutionGroupCount(IntPtr descriptor, int groups);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnSetConvolutionMathType(IntPtr descriptor, int mathType);
    [LibraryImport(Library)] public static partial CudnnStatus cudnnDestroyConvolutionDescriptor(IntPtr descriptor);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnFindConvolutionForwardAlgorithmEx(IntPtr handle, IntPtr xDesc, ulong x, IntPtr wDesc, ulong w,
        IntPtr convDesc, IntPtr yDesc, ulong y, int requested, int* returned, CudnnAlgorithmPerformance* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnFindConvolutionBackwardDataAlgorithmEx(IntPtr handle, IntPtr wDesc, ulong w, IntPtr dyDesc, ulong dy,
        IntPtr convDesc, IntPtr dxDesc, ulong dx, int requested, int* returned, CudnnAlgorithmPerformance* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnFindConvolutionBackwardFilterAlgorithmEx(IntPtr handle, IntPtr xDesc, ulong x, IntPtr dyDesc, ulong dy,
        IntPtr convDesc, IntPtr dwDesc, ulong dw, int requested, int* returned, CudnnAlgorithmPerformance* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnConvolutionForward(IntPtr handle, void* alpha, IntPtr xDesc, ulong x, IntPtr wDesc, ulong w,
        IntPtr convDesc, int algorithm, ulong workspace, nuint workspaceBytes, void* beta, IntPtr yDesc, ulong y);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnConvolutionBackwardData(IntPtr handle, void* alpha, IntPtr wDesc, ulong w, IntPtr dyDesc, ulong dy,
        IntPtr convDesc, int algorithm, ulong workspace, nuint workspaceBytes, void* beta, IntPtr dxDesc, ulong dx);

    [LibraryImport(Library)]
    public static partial CudnnStatus cudnnConvolutionBackwardFilter(IntPtr handle, void* alpha, IntPtr xDesc, ulong x, IntPtr dyDesc, ulong dy,
        IntPtr convDesc, int algorithm, ulong workspace, nuint workspaceBytes, void* beta, IntPtr dwDesc, ulong dw);
}

/// <summary>
/// cudnnConvolutionFwdAlgoPerf_t, cudnnConvolutionBwdDataAlgoPerf_t and cudnnConvolutionBwdFilterAlgoPerf_t, which share
/// one layout: the algorithm, its status in the search, its time, the workspace it needs, its determinism and math type.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudnnAlgorithmPerformance
{
    public int Algorithm;
    public CudnnStatus Status;
    public float Milliseconds;
    public nuint Memory;
    public int Determinism;
    public int MathType;
    public fixed int Reserved[3];
}
