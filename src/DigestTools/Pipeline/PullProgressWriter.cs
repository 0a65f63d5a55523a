using System.Collections.Generic;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Workflow;

namespace DigestTools
{
    /// <summary>
    /// Turns the pull stream into Write-Progress records: one parent bar for the image, one child per layer.
    /// Called on the stream's thread (one message at a time); the records go through the pump.
    /// </summary>
    internal sealed class PullProgressWriter : IPullProgress
    {
        private static int s_nextActivityId = 7100;   // away from ids scripts commonly use (0, 1)
        private static readonly object s_idGate = new object();
        private readonly PipelinePump _pump;
        private readonly string _reference;
        private readonly int _parentId;
        private readonly Dictionary<string, int> _layers = new Dictionary<string, int>();
        private readonly object _gate = new object();

        internal PullProgressWriter(PipelinePump pump, string reference)
        {
            _pump = pump;
            _reference = reference;
            lock (s_idGate) _parentId = s_nextActivityId++;
        }

        public void Report(ImagePullProgress message)
        {
            lock (_gate)
            {
                if (string.IsNullOrEmpty(message.Id) || !LooksLikeLayer(message.Status))
                {
                    _pump.Progress(new ProgressRecord(_parentId, "Pulling " + _reference, string.IsNullOrEmpty(message.Status) ? "Pulling" : message.Status));
                    return;
                }
                if (!_layers.TryGetValue(message.Id, out int activity))
                {
                    lock (s_idGate) activity = s_nextActivityId++;
                    _layers[message.Id] = activity;
                }
                var record = new ProgressRecord(activity, "Layer " + message.Id, message.Status) { ParentActivityId = _parentId };
                if (message.Total > 0 && message.Current >= 0)
                    record.PercentComplete = (int)System.Math.Min(100, message.Current.Value * 100 / message.Total.Value);
                _pump.Progress(record);
            }
        }

        /// <summary>Closes every bar this pull opened (queued: the pipeline thread writes them).</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                foreach (KeyValuePair<string, int> layer in _layers)
                    _pump.Progress(new ProgressRecord(layer.Value, "Layer " + layer.Key, "Done") { ParentActivityId = _parentId, RecordType = ProgressRecordType.Completed });
                _pump.Progress(new ProgressRecord(_parentId, "Pulling " + _reference, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        // Layer messages carry a short layer id; "Pulling from x" carries the tag instead.
        private static bool LooksLikeLayer(string status)
            => status != null && !status.StartsWith("Pulling from", System.StringComparison.Ordinal) && !status.StartsWith("Digest:", System.StringComparison.Ordinal)
               && !status.StartsWith("Status:", System.StringComparison.Ordinal);
    }
}
