using Engine.Backends.Cuda.Native;
using Engine.Ops;

namespace Engine.Backends.Cuda.Driver;

/// <summary>Which of a convolution's three products: y = conv(x, w), dx = conv^T(dy, w), dw = the weight gradient of x and dy.</summary>
internal enum ConvolutionPass
{
    Forward,
    BackwardData,
    BackwardFilter,
}

/// <summary>What a cuDNN algorithm search is cached by: the pass, the dtype, the geometry and whether TF32 was allowed.</summary>
internal readonly record struct ConvolutionKey(ConvolutionPass Pass, DType DType, Conv2dGeometry Geometry, bool Tf32);

/// <summary>
/// A searched convolution: its descriptors (contiguous NCHW input [N, C, H, W] and output [N, K, P, Q], the filter
/// [K, C / groups, R, S]), the algorithm cuDNN timed fastest among the deterministic ones, and the workspace it needs.
/// </summary>
internal sealed record CudnnPlan(ConvolutionKey Key, IntPtr Input, IntPtr Output, IntPtr Filter, IntPtr Convolution, int Algorithm, long WorkspaceBytes);

/// <summary>
/// cuDNN 9's convolutions on the device's stream. A convolution is searched once per <see cref="ConvolutionKey"/>
/// (cudnnFind*AlgorithmEx, which times every algorithm on the real operands with the workspace the caller provides)
/// and the plan cached; only deterministic algorithms are taken, so results repeat bit for bit, and F32 runs with plain
/// FMA math unless TF32 is allowed (<see cref="CudaDevices.AllowTf32"/>). Operands are contiguous NCHW device
/// buffers. Calls are serialised; the driver's context is made current before each.
/// </summary>
internal sealed unsafe class CudnnConvolutions : IDisposable
{
    /// <summary><c>ENGINE_CUDNN=0</c> makes the backend use its own convolution kernels on a GPU that has cuDNN.</summary>
    public const string SwitchVariable = "ENGINE_CUDNN";

    private const int MaxAlgorithms = 16;

    private readonly IntPtr handle;
    private readonly Action makeCurrent;
    private readonly Lock gate = new();
    private readonly Dictionary<ConvolutionKey, CudnnPlan?> plans = [];
    private readonly List<CudnnPlan> created = [];
    private bool disposed;

    private CudnnConvolutions(IntPtr stream, Action makeCurrent, long version)
    {
        this.makeCurrent = makeCurrent;
        makeCurrent();
        IntPtr opened;
        CudnnApi.cudnnCreate(&opened).Check("cudnnCreate");
        handle = opened;
        CudnnApi.cudnnSetStream(handle, stream).Check("cudnnSetStream");
        Name = $"cuDNN {version / 10000}.{version / 100 % 100}.{version % 100}";
    }

    /// <summary>"cuDNN major.minor.patch".</summary>
    public string Name { get; }

    /// <summary>
    /// cuDNN on <paramref name="stream"/>, or null with the reason in <paramref name="absence"/>: switched off by
    /// <see cref="SwitchVariable"/>, libcudnn.so.9 not found, an entry point missing, a version before 9, or a handle that
    /// cannot be created.
    /// </summary>
    public static CudnnConvolutions? TryCreate(IntPtr stream, Action makeCurrent, out string absence)
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable) == "0")
        {
            absence = $"{SwitchVariable}=0 selects them";
            return null;
        }
        var library = NativeLibraries.TryLoad(NativeLibraries.Cudnn);
        if (library == IntPtr.Zero)
        {
            absence = $"libcudnn.so.9 was not found on the library path or in {NativeLibraries.PathVariable}";
            return null;
        }
        var missing = CudnnApi.MissingExports(library);
        if (missing.Length > 0)
        {
            absence = $"the loaded cuDNN does not export {string.Join(", ", missing)}";
            return null;
        }
        long version = (long)CudnnApi.cudnnGetVersion();
        if (version < 90000)
        {
            absence = $"cuDNN version {version} is older than 9";
            return null;
        }
        try
        {
            absence = "";
            return new CudnnConvolutions(stream, makeCurrent, version);
        }
        catch (CudaException error)
        {
            absence = $"cuDNN {version} is installed but unusable: {error.Message}";
            return null;
        }
    }

    /// <summary>
    /// Whether cuDNN takes the geometry: tensors below 2^31 elements, and an output size that the forward rule gives (a
    /// transposed convolution with a large output padding describes one row more than its output, which cuDNN rejects).
    /// </summary>
    public static bool Supports(Conv2dGeometry g)
    {
        static long OutputSize(int size, int kernel, int stride, int padding, int dilation) => (size + 2L * padding - (long)dilation * (kernel - 1) - 1) / stride + 1;
        return OutputSize(g.Height, g.KernelHeight, g.Stride.Height, g.Padding.Height, g.Dilation.Height) == g.OutHeight
            && OutputSize(g.Width, g.KernelWidth, g.Stride.Width, g.Padding.Width, g.Dilation.Width) == g.OutWidth
            && Shapes.NumElements(g.InputShape) < int.MaxValue && Shapes.NumElements(g.OutputShape) < int.MaxValue;
    }

    /// <summary>The cached plan of <paramref name="key"/> (null: searched, no deterministic algorithm); false when never searched.</summary>
    public bool TryGetPlan(in ConvolutionKey key, out CudnnPlan? plan)
    {
        lock (gate) return plans.TryGetValue(key, out plan);
    }

    /// <summary>
    /// Times every algorithm of <paramref name="key"/>'s pass on the operands (see <see cref="Run"/> for their roles; the
    /// output is overwritten) with <paramref name="workspaceBytes"/> of workspace, and caches the fastest deterministic one
    /// that fits (null when none does).
    /// </summary>
    public CudnnPlan? Search(in ConvolutionKey key, ulong first, ulong second, ulong output, ulong workspace, long workspaceBytes)
    {
        lock (gate)
        {
            if (plans.TryGetValue(key, out var known)) return known;
            makeCurrent();
            var (input, result, filter, convolution) = Describe(key);
            var found = stackalloc CudnnAlgorithmPerformance[MaxAlgorithms];
            int count;
            string call = $"cudnnFindConvolution{key.Pass}AlgorithmEx";
            var status = key.Pass switch
            {
                ConvolutionPass.Forward => CudnnApi.cudnnFindConvolutionForwardAlgorithmEx(handle, input, first, filter, second, convolution, result, output,
                    MaxAlgorithms, &count, found, workspace, (nuint)workspaceBytes),
                ConvolutionPass.BackwardData => CudnnApi.cudnnFindConvolutionBackwardDataAlgorithmEx(handle, filter, first, result, second, convolution, input,
                    output, MaxAlgorithms, &count, found, workspace, (nuint)workspaceBytes),
                _ => CudnnApi.cudnnFindConvolutionBackwardFilterAlgorithmEx(handle, input, first, result, second, convolution, filter, output,
                    MaxAlgorithms, &count, found, workspace, (nuint)workspaceBytes),
            };
            // A pass cuDNN does not implement for this geometry runs on the own kernels; any other failure is an error.
            bool unsupported = (int)status / 1000 * 1000 == (int)CudnnStatus.NotSupported;
            if (status != CudnnStatus.Success && !unsupported)
            {
                Destroy(input, result, filter, convolution);
                status.Check(call, Describe(key.Geometry, key.DType));
            }
            CudnnPlan? plan = null;
            for (int i = 0; i < (unsupported ? 0 : count) && plan is null; i++)
            {
                var candidate = found[i];
                bool tensorCores = candidate.MathType is CudnnApi.TensorOpMath or CudnnApi.TensorOpMath + 1;
                if (candidate.Status != CudnnStatus.Success || candidate.Determinism != CudnnApi.Deterministic
                    || (long)candidate.Memory > workspaceBytes || key.DType == DType.F32 && !key.Tf32 && tensorCores) continue;
                plan = new CudnnPlan(key, input, result, filter, convolution, candidate.Algorithm, (long)candidate.Memory);
            }
            if (plan is null) Destroy(input, result, filter, convolution);
            else created.Add(plan);
            plans[key] = plan;
            return plan;
        }
    }

    /// <summary>
    /// output = conv(first, second) + beta output for the plan's pass: forward (x, w) to y, backward data (w, dy) to dx,
    /// backward filter (x, dy) to dw; queued on the stream with <paramref name="workspace"/> of the plan's size.
    /// </summary>
    public void Run(CudnnPlan plan, ulong first, ulong second, ulong output, double beta, ulong workspace)
    {
        lock (gate)
        {
            makeCurrent();
            double alpha64 = 1, beta64 = beta;
            float alpha32 = 1, beta32 = (float)beta;
            void* alpha = plan.Key.DType == DType.F64 ? &alpha64 : &alpha32, scale = plan.Key.DType == DType.F64 ? &beta64 : &beta32;
            var bytes = (nuint)plan.WorkspaceBytes;
            var status = plan.Key.Pass switch
            {
                ConvolutionPass.Forward => CudnnApi.cudnnConvolutionForward(handle, alpha, plan.Input, first, plan.Filter, second, plan.Convolution,
                    plan.Algorithm, workspace, bytes, scale, plan.Output, output),
                ConvolutionPass.BackwardData => CudnnApi.cudnnConvolutionBackwardData(handle, alpha, plan.Filter, first, plan.Output, second, plan.Convolution,
                    plan.Algorithm, workspace, bytes, scale, plan.Input, output),
                _ => CudnnApi.cudnnConvolutionBackwardFilter(handle, alpha, plan.Input, first, plan.Output, second, plan.Convolution,
                    plan.Algorithm, workspace, bytes, scale, plan.Filter, output),
            };
            status.Check(plan.Key.Pass switch
            {
                ConvolutionPass.Forward => "cudnnConvolutionForward",
                ConvolutionPass.BackwardData => "cudnnConvolutionBackwardData",
                _ => "cudnnConvolutionBackwardFilter",
            }, $"{Describe(plan.Key.Geometry, plan.Key.DType)}, algorithm {plan.Algorithm}, workspace {plan.WorkspaceBytes} bytes");
        }
    }

    /// <summary>Descriptors of the key's input, output, filter and convolution.</summary>
    private static (IntPtr Input, IntPtr Output, IntPtr Filter, IntPtr Convolution) Describe(in ConvolutionKey key)
    {
        var g = key.Geometry;
        int dataType = key.DType == DType.F64 ? CudnnApi.DataDouble : CudnnApi.DataFloat;
        string where = Describe(g, key.DType);
        IntPtr input, output, filter, convolution;
        CudnnApi.cudnnCreateTensorDescriptor(&input).Check("cudnnCreateTensorDescriptor");
        CudnnApi.cudnnSetTensor4dDescriptor(input, CudnnApi.TensorNchw, dataType, g.Batch, g.InChannels, g.Height, g.Width)
            .Check("cudnnSetTensor4dDescriptor", $"input of {where}");
        CudnnApi.cudnnCreateTensorDescriptor(&output).Check("cudnnCreateTensorDescriptor");
        CudnnApi.cudnnSetTensor4dDescriptor(output, CudnnApi.TensorNchw, dataType, g.Batch, g.OutChannels, g.OutHeight, g.OutWidth)
            .Check("cudnnSetTensor4dDescriptor", $"output of {where}");
        CudnnApi.cudnnCreateFilterDescriptor(&filter).Check("cudnnCreateFilterDescriptor");
        CudnnApi.cudnnSetFilter4dDescriptor(filter, dataType, CudnnApi.TensorNchw, g.OutChannels, g.InChannels / g.Groups, g.KernelHeight, g.KernelWidth)
            .Check("cudnnSetFilter4dDescriptor", where);
        CudnnApi.cudnnCreateConvolutionDescriptor(&convolution).Check("cudnnCreateConvolutionDescriptor");
        CudnnApi.cudnnSetConvolution2dDescriptor(convolution, g.Padding.Height, g.Padding.Width, g.Stride.Height, g.Stride.Width,
            g.Dilation.Height, g.Dilation.Width, CudnnApi.CrossCorrelation, dataType).Check("cudnnSetConvolution2dDescriptor", where);
        CudnnApi.cudnnSetConvolutionGroupCount(convolution, g.Groups).Check("cudnnSetConvolutionGroupCount", where);
        int math = key.DType == DType.F64 ? CudnnApi.DefaultMath : key.Tf32 ? CudnnApi.TensorOpMath : CudnnApi.FmaMath;
        CudnnApi.cudnnSetConvolutionMathType(convolution, math).Check("cudnnSetConvolutionMathType", where);
        return (input, output, filter, convolution);
    }

    private static string Describe(Conv2dGeometry g, DType dtype) =>
        $"{dtype} conv2d x {Shapes.Format(g.InputShape)}, w {Shapes.Format(g.WeightShape)}, y {Shapes.Format(g.OutputShape)}, " +
        $"stride {g.Stride}, padding {g.Padding}, dilation {g.Dilation}, groups {g.Groups}";

    private static void Destroy(IntPtr input, IntPtr output, IntPtr filter, IntPtr convolution)
    {
        CudnnApi.cudnnDestroyTensorDescriptor(input);
        CudnnApi.cudnnDestroyTensorDescriptor(output);
        CudnnApi.cudnnDestroyFilterDescriptor(filter);
        CudnnApi.cudnnDestroyConvolutionDescriptor(convolution);
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            makeCurrent();
            foreach (var plan in created) Destroy(plan.Input, plan.Output, plan.Filter, plan.Convolution);
            CudnnApi.cudnnDestroy(handle);
        }
    }
}
