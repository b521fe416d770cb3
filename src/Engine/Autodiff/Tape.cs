namespace Engine.Autodiff;

/// <summary>
/// Reverse-mode autodiff by recording. While a tape is active on a thread, every op with an input the
/// tape tracks (a leaf with <see cref="Tensor.RequiresGrad"/>, a watched tensor, or an output the tape
/// recorded) appends a node. Tapes nest: an op is recorded on every active tape that tracks one of its
/// inputs. Backward rules run as ordinary ops with recording suspended, so gradients are constants
/// (no gradients of gradients). Disposing the tape frees what its nodes saved.
/// </summary>
public sealed class Tape : IDisposable
{
    [ThreadStatic] private static List<Tape>? active;
    [ThreadStatic] private static int noGradDepth;

    private readonly List<Node> nodes = [];
    private readonly HashSet<Tensor> tracked = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    private Tape() { }

    /// <summary>Starts recording on this thread.</summary>
    public static Tape Record()
    {
        var tape = new Tape();
        (active ??= []).Add(tape);
        return tape;
    }

    /// <summary>Suspends recording on this thread until the returned guard is disposed.</summary>
    public static IDisposable NoGrad()
    {
        noGradDepth++;
        return new NoGradGuard();
    }

    /// <summary>True when an op run now on this thread could be recorded.</summary>
    public static bool IsRecording => noGradDepth == 0 && active is { Count: > 0 };

    /// <summary>Number of nodes recorded so far.</summary>
    public int NodeCount => nodes.Count;

    /// <summary>Makes the tape track <paramref name="tensor"/> as if it required gradients.</summary>
    public void Watch(Tensor tensor)
    {
        ThrowIfDisposed();
        if (!tensor.DType.IsFloating())
            throw new InvalidOperationException($"Watch: only floating tensors can be differentiated, this one is {tensor.DType}");
        tracked.Add(tensor);
    }

    internal static bool IsTracked(Tensor tensor) => active is not null && active.Exists(t => t.Tracks(tensor));

    private bool Tracks(Tensor tensor) => tensor.IsGradLeaf || tracked.Contains(tensor);

    /// <summary>Appends a node to every active tape that tracks one of <paramref name="inputs"/>.</summary>
    internal static void Record(string name, Tensor output, Tensor[] inputs, Tensor[] saved, BackwardRule rule)
    {
        if (!IsRecording) return;
        Node? node = null;
        foreach (var tape in active!)
        {
            if (!Array.Exists(inputs, tape.Tracks)) continue;
            node ??= new Node(name, inputs, output, saved, rule);
            node.AddTape();
            tape.nodes.Add(node);
            tape.tracked.Add(output);
        }
    }

    /// <summary>Gradient of the scalar <paramref name="output"/> with respect to each of <paramref name="inputs"/>.</summary>
    public Tensor[] Gradients(Tensor output, params Tensor[] inputs) => Gradients([output], [null], inputs);

    /// <summary>
    /// Vector-Jacobian products: the gradient of sum_i &lt;cotangents[i], outputs[i]&gt; with respect to each
    /// input. A null cotangent means 1 and needs a scalar output. Inputs the outputs do not depend on get zeros.
    /// The returned tensors belong to the caller's current scope.
    /// </summary>
    public Tensor[] Gradients(Tensor[] outputs, Tensor?[] cotangents, Tensor[] inputs)
    {
        ThrowIfDisposed();
        if (outputs.Length != cotangents.Length)
            throw new ArgumentException($"Gradients: {outputs.Length} outputs but {cotangents.Length} cotangents");
        var relevant = RelevantTensors(inputs);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using (NoGrad())
        {
            for (int i = 0; i < outputs.Length; i++)
                Accumulate(grads, outputs[i], Seed(outputs[i], cotangents[i]), "seed");
            var wanted = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
            for (int n = nodes.Count - 1; n >= 0; n--)
            {
                var node = nodes[n];
                if (!grads.TryGetValue(node.Output, out var gradOutput)) continue;
                var needs = Array.ConvertAll(node.Inputs, relevant.Contains);
                if (!Array.Exists(needs, x => x)) continue;
                var inputGrads = BackwardInScope(node, gradOutput, needs);
                for (int j = 0; j < inputGrads.Length; j++)
                {
                    var g = inputGrads[j];
                    if (g is null || !needs[j]) continue;
                    bool shared = ReferenceEquals(g, gradOutput) || Array.FindIndex(inputGrads, 0, j, x => ReferenceEquals(x, g)) >= 0;
                    Accumulate(grads, node.Inputs[j], shared ? g.Alias() : g, node.Name);
                }
                if (!wanted.Contains(node.Output))
                {
                    grads.Remove(node.Output);
                    gradOutput.Dispose();
                }
            }
            var results = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                results[i] = grads.TryGetValue(inputs[i], out var g)
                    ? (Array.FindIndex(results, 0, i, x => ReferenceEquals(x, g)) >= 0 ? g.Alias() : g)
                    : Tensor.Zeros(inputs[i].Dims, inputs[i].DType, inputs[i].Device);
            }
            foreach (var g in grads.Values)
                if (Array.IndexOf(results, g) < 0) g.Dispose();
            return results;
        }
    }

    /// <summary>
    /// Back-propagates the scalar <paramref name="loss"/> and adds the gradient into <see cref="Tensor.Grad"/>
    /// of every leaf with <see cref="Tensor.RequiresGrad"/> that it depends on.
    /// </summary>
    public void Backward(Tensor loss)
    {
        var leaves = nodes.SelectMany(n => n.Inputs).Where(t => t.IsGradLeaf && !t.IsDisposed)
            .Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToArray();
        var grads = Gradients(loss, leaves);
        using var noGrad = NoGrad();
        for (int i = 0; i < leaves.Length; i++)
        {
            if (leaves[i].Grad is { } previous)
            {
                leaves[i].Grad = previous.Add(grads[i]);
                grads[i].Dispose();
            }
            else
            {
                leaves[i].Grad = grads[i];
            }
        }
    }

    /// <summary>Frees the tensors saved by this tape's nodes and stops recording.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var node in nodes) node.ReleaseTape();
        nodes.Clear();
        tracked.Clear();
        active?.Remove(this);
    }

    /// <summary>Tensors whose gradient leads to one of <paramref name="inputs"/>: the inputs and outputs of nodes that depend on them.</summary>
    private HashSet<Tensor> RelevantTensors(Tensor[] inputs)
    {
        var relevant = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
            if (Array.Exists(node.Inputs, relevant.Contains)) relevant.Add(node.Output);
        return relevant;
    }

    /// <summary>Runs a backward rule so that its temporaries are freed and only the gradients it returns survive.</summary>
    private static Tensor?[] BackwardInScope(Node node, Tensor gradOutput, bool[] needs)
    {
        using var scope = TensorScope.Begin();
        var grads = node.Backward(gradOutput, needs);
        foreach (var g in grads)
            if (g is not null) scope.Keep(g);
        return grads;
    }

    private static Tensor Seed(Tensor output, Tensor? cotangent)
    {
        if (cotangent is null)
        {
            if (output.NumElements != 1)
                throw new ArgumentException($"Gradients: output of shape {Shapes.Format(output.Dims)} is not a scalar; pass a cotangent of that shape");
            return Tensor.Ones(output.Dims, output.DType, output.Device);
        }
        if (!cotangent.Dims.AsSpan().SequenceEqual(output.Dims) || cotangent.DType != output.DType)
            throw new ArgumentException(
                $"Gradients: cotangent {Shapes.Format(cotangent.Dims)} {cotangent.DType} does not match output {Shapes.Format(output.Dims)} {output.DType}");
        return cotangent.Alias();
    }

    private static void Accumulate(Dictionary<Tensor, Tensor> grads, Tensor target, Tensor grad, string from)
    {
        if (!grad.Dims.AsSpan().SequenceEqual(target.Dims))
            throw new InvalidOperationException(
                $"{from}: backward produced a gradient of shape {Shapes.Format(grad.Dims)} for an input of shape {Shapes.Format(target.Dims)}");
        if (grads.TryGetValue(target, out var existing))
        {
            grads[target] = existing.Add(grad);
            existing.Dispose();
            grad.Dispose();
        }
        else
        {
            grads[target] = grad;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private sealed class NoGradGuard : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            noGradDepth--;
        }
    }
}
