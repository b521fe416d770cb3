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

    // ---- Convolution, normalisation, pooling, dropout and fused optimizer updates ----

    /// <summary>y = conv2d(x, w) (+ bias per output channel) for <paramref name="geometry"/>; y is contiguous.</summary>
    void Conv2d(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry);
    /// <summary>
    /// y = the transposed convolution of x (+ bias per channel of y): the adjoint of the convolution
    /// <paramref name="geometry"/>, so x has that convolution's output shape and y its input shape; y is contiguous.
    /// </summary>
    void Conv2dTranspose(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry);
    /// <summary>gw = the gradient of sum(gy * conv2d(x, w)) with respect to w; gw is contiguous.</summary>
    void Conv2dWeightGradient(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry geometry);

    /// <summary>
    /// Mean and variance of x over the axes where <paramref name="mean"/> and <paramref name="variance"/> (x's rank) have
    /// size 1, in one pass; the variance divides the sum of squared deviations by count - <paramref name="correction"/>.
    /// </summary>
    void Moments(BufferView x, BufferView mean, BufferView variance, int correction);
    /// <summary>y = x * scale + shift, all three broadcast to y's shape, in one pass.</summary>
    void MultiplyAdd(BufferView x, BufferView scale, BufferView shift, BufferView y);

    /// <summary>y = the maximum of each window of x [N, C, H, W] (NaN wins), indices = its position i W + j in the plane (I64).</summary>
    void MaxPool2d(BufferView x, BufferView y, BufferView indices, Pool2dWindows windows);
    /// <summary>
    /// gx (overwritten) = the adjoint of <see cref="MaxPool2d"/>: each gy element added at its position (indices, I64) in its
    /// plane of gx. <paramref name="windows"/> are the forward's, so a device can gather each gx element from the windows that
    /// reach it instead of scattering.
    /// </summary>
    void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dWindows windows);
    /// <summary>y = the sum of each window of x [N, C, H, W] divided by the window's divisor.</summary>
    void AvgPool2d(BufferView x, BufferView y, Pool2dWindows windows);
    /// <summary>gx (overwritten) = the adjoint of <see cref="AvgPool2d"/> applied to gy; gx is contiguous.</summary>
    void AvgPool2dTranspose(BufferView gy, BufferView gx, Pool2dWindows windows);
    /// <summary>
    /// y = x / (1 - p) where u >= p, else 0, for u the uniform value that <see cref="Random"/> draws for the same
    /// element of a tensor of y's dtype at (seed, offset); elements in y's row-major order.
    /// </summary>
    void Dropout(BufferView x, BufferView y, double p, ulong seed, ulong offset);

    /// <summary>One fused SGD update of a parameter (and its momentum buffer, when the rule has momentum), in place.</summary>
    void SgdUpdate(BufferView parameter, BufferView gradient, BufferView? momentumBuffer, SgdRule rule);
    /// <summary>One fused Adam or AdamW update of a parameter and its two moment buffers, in place.</summary>
    void AdamUpdate(BufferView parameter, BufferView gradient, BufferView expAvg, BufferView expAvgSq, AdamRule rule);
}
