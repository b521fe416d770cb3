using Engine.Memory;
using Engine.Ops;

namespace Engine.Backends;

/// <summary>
/// The seam between the tensor layer and a device. A backend allocates storages and runs kernels on
/// <see cref="BufferView"/>s; shape checking, dtype rules and gradients are done above it, once for all
/// backends. Outputs are always freshly allocated views with the shape the caller states; inputs may
/// have any strides (stride 0 for broadcast dimensions).
/// </summary>
internal interface IBackend
{
    Device Device { get; }
    IMemoryStats Memory { get; }

    Storage Allocate(DType dtype, long length);
    /// <summary>Called by <see cref="Storage.Release"/> when the last reference goes.</summary>
    void Free(Storage storage);
    /// <summary>Frees a storage whose finalizer ran without a release (a leak), counting it; called on a user thread.</summary>
    void FreeAbandoned(Storage storage);

    /// <summary>Copies host elements into the start of a storage of the same dtype.</summary>
    void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged;
    /// <summary>Copies a contiguous view's elements to the host.</summary>
    void Download<T>(BufferView source, Span<T> destination) where T : unmanaged;

    void Fill(BufferView y, double value);
    /// <summary>y = x elementwise, converting dtype if the two differ; any strides on both sides.</summary>
    void Copy(BufferView x, BufferView y);
    /// <summary>y[i] = start + i * step over the flat index of a contiguous y.</summary>
    void Arange(BufferView y, double start, double step);
    /// <summary>Fills a contiguous y from Philox4x32-10 keyed by (seed, offset): element i uses counter offset + i / 4.</summary>
    void Random(BufferView y, RandomDistribution distribution, ulong seed, ulong offset);

    /// <summary>y = op(x); <paramref name="alpha"/>/<paramref name="beta"/> parametrise LeakyRelu (slope) and Clamp (bounds).</summary>
    void Unary(UnaryOp op, BufferView x, BufferView y, double alpha, double beta);
    /// <summary>
    /// The backward of <see cref="Unary"/> in one pass: y = g * op'(x), where <paramref name="saved"/> is x, or op(x) for
    /// the ops that save their output (Exp, Sqrt, Rsqrt, Tanh, Sigmoid).
    /// </summary>
    void UnaryGradient(UnaryOp op, BufferView g, BufferView saved, BufferView y, double alpha, double beta);
    /// <summary>y = op(a, b) with a and b already broadcast to y's shape.</summary>
    void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y);
    /// <summary>y = op(a, s), or op(s, a) when <paramref name="scalarFirst"/>.</summary>
    void BinaryScalar(BinaryOp op, BufferView a, double scalar, BufferView y, bool scalarFirst);
    /// <summary>y = condition != 0 ? a : b, all three broadcast to y's shape.</summary>
    void Where(BufferView condition, BufferView a, BufferView b, BufferView y);

    /// <summary>Folds x into y, where y has x's rank and size 1 on every reduced axis.</summary>
    void Reduce(ReduceOp op, BufferView x, BufferView y);
    /// <summary>Index (I64) of the extreme element along <paramref name="axis"/>; y has size 1 there.</summary>
    void ArgReduce(ArgReduceOp op, BufferView x, int axis, BufferView y);

    /// <summary>
    /// y[..., m, n] = sum_k a[..., m, k] * b[..., k, n] (+ bias[n] when given, as in a linear layer); batch dims of a and b
    /// are broadcast to y's.
    /// </summary>
    void MatMul(BufferView a, BufferView b, BufferView y, BufferView? bias = null);
    /// <summary>
    /// Cross-entropy per row of contiguous <paramref name="logits"/> [N, C] against integer <paramref name="labels"/> [N]
    /// (PyTorch's definition, with optional class <paramref name="weight"/> [C], an ignored label and label smoothing):
    /// writes the row losses (0 for ignored rows), the row weights that a mean divides by (the label's class weight,
    /// 1 without weights, 0 when ignored) and each row's log-sum-exp, which the gradient reuses. Throws
    /// <see cref="IndexOutOfRangeException"/> for a label outside [0, C) that is not the ignored one.
    /// </summary>
    void CrossEntropy(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView loss, BufferView rowWeight, BufferView logSumExp);
    /// <summary>d(sum_i gradLoss[i] * loss[i]) / d logits in one pass: softmax minus the smoothed, weighted target, per row.</summary>
    void CrossEntropyGradient(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView logSumExp, BufferView gradLoss, BufferView gradLogits);
    /// <summary>Softmax (or log-softmax) of x along <paramref name="axis"/>.</summary>
    void Softmax(BufferView x, int axis, BufferView y, bool log);

    /// <summary>y = x with positions along <paramref name="axis"/> taken from the 1-D integer <paramref name="index"/>.</summary>
    void IndexSelect(BufferView x, int axis, BufferView index, BufferView y);
    /// <summary>y[..., index[i], ...] += source[..., i, ...] along <paramref name="axis"/> (the adjoint of IndexSelect).</summary>
    void IndexAdd(BufferView y, int axis, BufferView index, BufferView source);
    /// <summary>y[..., i, ...] = x[..., index[..., i, ...], ...] along <paramref name="axis"/>; index has y's shape.</summary>
    void Gather(BufferView x, int axis, BufferView index, BufferView y);
    /// <summary>y[..., index[..., i, ...], ...] += source[..., i, ...] (the adjoint of Gather).</summary>
    void ScatterAdd(BufferView y, int axis, BufferView index, BufferView source);
    /// <summary>y[..., c] = index[...] == c ? 1 : 0.</summary>
    void OneHot(BufferView index, BufferView y);

    /// <summary>y = x0 + sum_i coefficients[i] * xs[i] in one pass (a Runge-Kutta stage).</summary>
    void LinearCombination(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y);

    // ---- ODE solver support (Engine.Ode) ----

    /// <summary>
    /// Scaled RMS error norms for adaptive step-size control, one pass over each component's tensors. For
    /// component j and estimate e, with s = atol + rtol * max(|y0[j]|, |y1[j]|) elementwise:
    /// y[j, e] = sqrt(mean((sum_i coefficients[e, i] * terms[j][i] / s)^2)), the squares summed in double.
    /// The terms, y0[j] and y1[j] share one shape (any strides); y is a contiguous F64 [components, estimates].
    /// </summary>
    void ScaledErrorRms(BufferView[][] terms, double[,] coefficients, BufferView[] y0, BufferView[] y1, double rtol, double atol, BufferView y);
}
