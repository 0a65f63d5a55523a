using System.Management.Automation;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>Write-Progress for -Wait on services: tasks running the pinned digest out of those desired.</summary>
    internal sealed class ServiceProgressWriter
    {
        private const int ActivityId = 4711;
        private readonly PipelinePump _pump;
        private readonly string _activity;

        internal ServiceProgressWriter(PipelinePump pump, string activity)
        {
            _pump = pump;
            _activity = activity;
        }

        /// <summary>A watcher of the cmdlet's engine for -Wait, at most <paramref name="timeoutSec"/>, with progress under <paramref name="activity"/>; Ctrl+C stops the watching only.</summary>
        internal static ServiceRolloutWatcher Watcher(EngineCmdlet cmdlet, string activity, int timeoutSec)
            => new ServiceRolloutWatcher(cmdlet.Engine, System.TimeSpan.FromSeconds(timeoutSec), new ServiceProgressWriter(cmdlet.Pump, activity).Report);

        internal void Report(ServiceRolloutProgress p)
        {
            var record = new ProgressRecord(ActivityId, $"{_activity} {p.Service}",
                $"{p.Running} of {p.Desired} task(s) run the pinned digest" + (p.UpdateState == null ? string.Empty : $" (update: {p.UpdateState})"));
            if (p.Desired > 0) record.PercentComplete = (int)(100 * System.Math.Min(p.Running, p.Desired) / p.Desired);
            _pump.Progress(record);
        }
    }
}
