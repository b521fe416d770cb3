namespace Engine.Autodiff;

/// <summary>
/// A backward rule: given the gradient of the op's output, returns one gradient per input (null where
/// <see cref="BackwardContext.Needs"/> is false). Written with tensor ops, so it runs on every backend.
/// </summary>
internal delegate Tensor?[] BackwardRule(Tensor gradOutput, BackwardContext context);

/// <summary>What a backward rule may read: the tensors its op saved and which inputs want gradients.</summary>
internal sealed class BackwardContext(Tensor[] saved, bool[] needs)
{
    public Tensor Saved(int i) => saved[i];
    public bool Needs(int input) => needs[input];
}

/// <summary>
/// One recorded op. It holds its own handles on the tensors it saved, so they outlive the caller's scope;
/// the handles go when every tape that recorded the node has been disposed.
/// </summary>
internal sealed class Node
{
    private readonly Tensor[] saved;
    private int tapes;

    public Node(string name, Tensor[] inputs, Tensor output, Tensor[] saved, BackwardRule rule)
    {
        Name = name;
        Inputs = inputs;
        Output = output;
        this.saved = saved.Select(t => t.Alias(registerInScope: false)).ToArray();
        Rule = rule;
    }

    public string Name { get; }
    public Tensor[] Inputs { get; }
    public Tensor Output { get; }
    public BackwardRule Rule { get; }

    public Tensor?[] Backward(Tensor gradOutput, bool[] needs)
    {
        var grads = Rule(gradOutput, new BackwardContext(saved, needs));
        if (grads.Length != Inputs.Length)
            throw new InvalidOperationException($"{Name}: backward returned {grads.Length} gradients for {Inputs.Length} inputs");
        return grads;
    }

    public void AddTape() => tapes++;

    public void ReleaseTape()
    {
        if (--tapes > 0) return;
        foreach (var tensor in saved) tensor.Dispose();
    }
}
