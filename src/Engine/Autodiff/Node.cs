namespace Engine.Autodiff;

/// <summary>
/// A built-in op's backward rule: given the gradient of the op's output, returns one gradient per input
/// (null where <see cref="BackwardContext.Needs"/> is false). Written with tensor ops, so it runs on every
/// backend and, when the backward pass is recorded, can itself be differentiated.
/// </summary>
internal delegate Tensor?[] BackwardRule(Tensor gradOutput, BackwardContext context);

/// <summary>What a backward rule may read: the tensors its op saved and which inputs want gradients.</summary>
internal sealed class BackwardContext(Node node, bool[] needs)
{
    public Tensor Saved(int i) => node.Saved(i);
    public bool Needs(int input) => needs[input];
}

/// <summary>
/// One recorded op: the identities of its inputs and outputs, the tensors its backward reads, and either a
/// built-in rule or a user <see cref="Function"/>. It holds its own handles on what it saved (with the storage
/// version at save time), so they outlive the caller's scope; they go when every tape that recorded the node is
/// disposed.
/// </summary>
internal sealed class Node
{
    private readonly BackwardRule? rule;
    private readonly Function? function;
    private readonly FunctionContext? functionContext;
    private SavedTensor[] saved = [];
    private Tape? firstTape;
    private List<Tape>? otherTapes;
    private int liveTapes;

    private Node(string name, Tensor[] inputs, ReadOnlySpan<Tensor> outputs)
    {
        Name = name;
        Inputs = new ValueInfo[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            Inputs[i] = new ValueInfo(input.DType.IsFloating() ? input.EnsureIdentity() : null, input.Dims, input.DType, input.Device);
        }
        Outputs = new ValueInfo[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var output = outputs[i];
            // Identities first: a node that saves its own output must save it with the output's identity.
            var id = output.DType.IsFloating() ? output.BecomeOutputOf(this, i) : null;
            Outputs[i] = new ValueInfo(id, output.Dims, output.DType, output.Device);
        }
    }

    /// <summary>A node for a built-in op with one output.</summary>
    public Node(string name, Tensor[] inputs, Tensor output, Tensor[] saved, BackwardRule rule)
        : this(name, inputs, new ReadOnlySpan<Tensor>(ref output))
    {
        this.rule = rule;
        Save(saved);
    }

    /// <summary>A node for a user-defined <see cref="Function"/>.</summary>
    public Node(Function function, FunctionContext context, Tensor[] inputs, Tensor[] outputs, Tensor[] saved)
        : this(function.Name, inputs, outputs)
    {
        this.function = function;
        functionContext = context;
        Save(saved);
    }

    public string Name { get; }

    /// <summary>The inputs: identity (null for integer inputs, which take no gradient), shape, dtype and device.</summary>
    public ValueInfo[] Inputs { get; }

    /// <summary>The outputs: identity (null for integer outputs), shape, dtype and device.</summary>
    public ValueInfo[] Outputs { get; }

    private void Save(Tensor[] tensors)
    {
        if (tensors.Length == 0) return;
        saved = new SavedTensor[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var alias = tensors[i].Alias(registerInScope: false);
            saved[i] = new SavedTensor(alias, alias.Storage.Version);
        }
    }

    /// <summary>Saved tensor <paramref name="i"/>; throws when it was modified in place after it was saved.</summary>
    public Tensor Saved(int i)
    {
        var (tensor, version) = saved[i];
        if (tensor.IsDisposed)
            throw new InvalidOperationException($"{Name}: its saved tensors were freed; the tape that recorded it has been disposed");
        int now = tensor.Storage.Version;
        if (now != version)
            throw new InvalidOperationException(
                $"{Name}: a tensor it saved for backward (saved tensor {i}, {Shapes.Format(tensor.Dims)} {tensor.DType}) was modified in place " +
                $"after it was saved (version {now}, saved at version {version}); gradients would be wrong. Modify a copy (Clone) instead, " +
                "or make the in-place change before the op that reads the tensor");
        return tensor;
    }

    /// <summary>Runs the backward rule: one gradient (or null) per input.</summary>
    public Tensor?[] Backward(Tensor?[] gradOutputs, bool[] needs)
    {
        for (int i = 0; i < saved.Length; i++) Saved(i);
        Tensor?[] grads;
        if (rule is not null)
        {
            grads = rule(gradOutputs[0]!, new BackwardContext(this, needs));
        }
        else
        {
            var complete = new Tensor[gradOutputs.Length];
            for (int i = 0; i < complete.Length; i++)
                complete[i] = gradOutputs[i] ?? Tensor.Zeros(Outputs[i].Shape, Outputs[i].DType, Outputs[i].Device);
            functionContext!.BeginBackward(this, needs);
            grads = function!.InvokeBackward(functionContext, complete);
        }
        if (grads is null || grads.Length != Inputs.Length)
            throw new InvalidOperationException($"{Name}: backward returned {grads?.Length ?? 0} gradients for {Inputs.Length} inputs");
        return grads;
    }

    internal Tensor[] SavedTensors()
    {
        var result = new Tensor[saved.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Saved(i);
        return result;
    }

    /// <summary>True when <paramref name="tape"/> recorded this node.</summary>
    public bool IsOn(Tape tape) => ReferenceEquals(firstTape, tape) || otherTapes is not null && otherTapes.Contains(tape);

    public void AddTape(Tape tape)
    {
        if (firstTape is null) firstTape = tape;
        else (otherTapes ??= []).Add(tape);
        Interlocked.Increment(ref liveTapes);
    }

    /// <summary>Called by each tape that recorded the node when it is disposed; the last one frees the saved tensors.</summary>
    public void ReleaseTape()
    {
        if (Interlocked.Decrement(ref liveTapes) > 0) return;
        foreach (var (tensor, _) in saved) tensor.Dispose();
        firstTape = null;
        otherTapes = null;
    }

    /// <summary>What a node knows of one of its inputs or outputs.</summary>
    public readonly record struct ValueInfo(GradIdentity? Id, int[] Shape, DType DType, Device Device);

    /// <summary>A node's own handle on a tensor it saved, and the storage version when it was saved.</summary>
    private readonly record struct SavedTensor(Tensor Tensor, int Version);
}
