namespace Engine.Autodiff;

/// <summary>
/// A differentiable operation with any number of tensor inputs and outputs, defined by its forward and its
/// backward, like <c>torch.autograd.Function</c>. <see cref="Apply"/> runs <see cref="Forward"/> with recording
/// off and, when an open tape tracks one of the inputs, records one node whose backward calls
/// <see cref="Backward"/>. Keep per-call state in the <see cref="FunctionContext"/> or in fields of an instance
/// made for the call.
/// <code>
/// sealed class Cube : Function
/// {
///     protected override Tensor[] Forward(FunctionContext ctx, IReadOnlyList&lt;Tensor&gt; x)
///     {
///         ctx.SaveForBackward(x[0]);
///         return [x[0] * x[0] * x[0]];
///     }
///     protected override Tensor?[] Backward(FunctionContext ctx, IReadOnlyList&lt;Tensor&gt; g) =>
///         [g[0] * ctx.SavedTensors[0].Square() * 3];
/// }
/// var y = new Cube().Apply(x)[0];
/// </code>
/// </summary>
public abstract class Function
{
    /// <summary>The name that error messages use for this function's node; the type name by default.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Runs the function on <paramref name="inputs"/> and records it on the tapes that track them.</summary>
    public Tensor[] Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            input.ThrowIfDisposed();
        }
        var context = new FunctionContext(inputs.Length);
        Tensor[] outputs;
        using (GradFrame.PushIsolated(enabled: false))
            outputs = Forward(context, inputs);
        if (outputs is null || outputs.Length == 0)
            throw new InvalidOperationException($"{Name}: Forward returned no outputs");
        for (int i = 0; i < outputs.Length; i++)
        {
            var output = outputs[i] ?? throw new InvalidOperationException($"{Name}: Forward returned null for output {i}");
            output.ThrowIfDisposed();
            // An input returned as it is must become a new value, or its identity would be its own producer.
            if (Array.IndexOf(inputs, output) >= 0 || Array.IndexOf(outputs, output, 0, i) >= 0) outputs[i] = output.Detach();
        }
        Tape.RecordFunction(this, context, inputs, outputs, context.TakeSaved());
        return outputs;
    }

    /// <summary>
    /// Computes the outputs from the inputs; runs with recording off. Call
    /// <see cref="FunctionContext.SaveForBackward"/> for the tensors <see cref="Backward"/> will read.
    /// </summary>
    protected abstract Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs);

    /// <summary>
    /// Given the gradient of every output (zeros for outputs that got none), returns one gradient per input, of the
    /// input's shape and dtype, or null for inputs that need none (<see cref="FunctionContext.NeedsInputGrad"/>).
    /// Runs with recording off unless the backward pass is itself being recorded (<c>createGraph</c>); written
    /// with tensor ops, it is then differentiable again. Inside it, <see cref="Grad.Vjp"/> and tapes opened after
    /// <see cref="Tape.EnableGrad"/> record in a frame of their own; <see cref="Tape.IsGradEnabled"/> is true only
    /// while the backward pass is recorded, so pass it on as <c>createGraph</c> to a <see cref="Grad.Vjp"/> here to
    /// keep the result differentiable.
    /// </summary>
    protected abstract Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs);

    internal Tensor?[] InvokeBackward(FunctionContext context, Tensor[] gradOutputs) => Backward(context, gradOutputs);
}
