namespace Engine.Autodiff;

/// <summary>Functional forms of reverse-mode differentiation.</summary>
public static class Grad
{
    /// <summary>
    /// Runs <paramref name="f"/> on <paramref name="inputs"/> and returns its outputs with the vector-Jacobian
    /// products cotangents^T * d outputs / d inputs, one per input. It records on a tape of its own in a frame of
    /// its own, so it works anywhere (inside <see cref="Tape.NoGrad"/>, inside a backward rule or a custom
    /// function) and the tapes around it record none of its work. With <paramref name="createGraph"/> it records
    /// in the current frame instead, so the outer tapes can differentiate the products (gradient penalties).
    /// The ODE gradient methods use this for the adjoint system and for step-by-step back-propagation.
    /// </summary>
    public static (Tensor[] Outputs, Tensor[] Vjps) Vjp(Func<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] cotangents,
        bool createGraph = false, bool allowUnused = false) =>
        Product(f, inputs, cotangents, createGraph, allowUnused, log: null);

    /// <summary>
    /// <see cref="Vjp"/> that also returns the tensors <paramref name="f"/> read that the tapes around it track and that are
    /// neither among <paramref name="inputs"/> nor <paramref name="known"/> (handles in the current scope): tensors whose
    /// gradients the product leaves out. The ODE gradient methods use it to refuse a field that reads a parameter
    /// they were not given.
    /// </summary>
    internal static (Tensor[] Outputs, Tensor[] Vjps, Tensor[] Unlisted) VjpReportingUnlisted(Func<Tensor[], Tensor[]> f, Tensor[] inputs,
        Tensor[] cotangents, IEnumerable<Tensor> known, bool createGraph = false, bool allowUnused = false)
    {
        var log = new CaptureLog(GradFrame.Current, known);
        var (outputs, vjps) = Collect(log, () => Product(f, inputs, cotangents, createGraph, allowUnused, log));
        return (outputs, vjps, [.. log.Tensors]);
    }

    /// <summary>
    /// Runs <paramref name="body"/> once and returns the tensors it read that the tapes recording now track (leaves
    /// that require gradients, watched tensors, results of recorded ops) and that it did not compute itself: the
    /// parameters a closure uses, found the way PyTorch users list <c>module.parameters()</c>. The body records on a
    /// probe tape in a frame of its own, so the tapes around it see none of its work. The returned handles share
    /// storage and autograd identity with what the body read and belong to the current <see cref="TensorScope"/>
    /// (dispose them when there is none). Tensors in <paramref name="known"/> (or sharing their autograd identity)
    /// are left out. Empty when nothing records.
    /// </summary>
    public static Tensor[] CapturedTensors(Action body, IEnumerable<Tensor>? known = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Tape.IsRecording) return [];
        var log = new CaptureLog(GradFrame.Current, known ?? []);
        Collect(log, () =>
        {
            using var frame = GradFrame.PushIsolated(enabled: true);
            using var probe = Tape.RecordCaptures(log);
            body();
            return true;
        });
        return [.. log.Tensors];
    }

    /// <summary>
    /// The vector-Jacobian product on a tape of its own (in a frame of its own unless <paramref name="createGraph"/>);
    /// with <paramref name="log"/>, the tape logs there what <paramref name="f"/> reads besides the inputs, until f returns.
    /// </summary>
    private static (Tensor[] Outputs, Tensor[] Vjps) Product(Func<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] cotangents,
        bool createGraph, bool allowUnused, CaptureLog? log)
    {
        using var frame = createGraph ? default : GradFrame.PushIsolated(enabled: true);
        using var mode = Tape.EnableGrad();
        using var tape = log is null ? Tape.Record() : Tape.RecordCaptures(log);
        foreach (var input in inputs)
        {
            tape.Watch(input);
            log?.Ignore(input);
        }
        var outputs = f(inputs);
        // A recorded backward pass (createGraph) reads the cotangents: not what f read.
        log?.Close();
        return (outputs, tape.Gradients(outputs, cotangents, inputs, createGraph, allowUnused));
    }

    /// <summary>
    /// Runs <paramref name="body"/>, then hands the handles <paramref name="log"/> collected to the caller's scope (they were
    /// logged inside scopes of the body's own); disposes them when the body throws.
    /// </summary>
    private static T Collect<T>(CaptureLog log, Func<T> body)
    {
        T result;
        try
        {
            result = body();
        }
        catch
        {
            foreach (var tensor in log.Tensors) tensor.Dispose();
            throw;
        }
        foreach (var tensor in log.Tensors) TensorScope.Register(tensor);
        return result;
    }
}
