"""The pod the KubernetesExecutor would submit for a task, built by the cncf-kubernetes provider's own code.

The task goes the executor's way: an ExecuteTask workload carrying the task's executor_config is
queued and processed (KubernetesExecutor.queue_workload, _process_workloads, execute_async, which
turns a `pod_override` into a V1Pod), then the scheduler half builds the request
(AirflowKubernetesScheduler._build_pod_request: the pod template from airflow.cfg, the executor's
own pod, the override, then airflow.settings' pod_mutation_hook). Only the API call is left out.
"""

import queue
import uuid


def _executor():
    from airflow.providers.cncf.kubernetes.executors.kubernetes_executor import KubernetesExecutor

    executor = KubernetesExecutor()
    # What start() sets up, short of the Kubernetes client, watchers and manager process.
    executor.task_queue = queue.Queue()
    executor.scheduler_job_id = "1"
    return executor


def _pod_builder(executor):
    from airflow.providers.cncf.kubernetes.executors.kubernetes_executor_utils import AirflowKubernetesScheduler

    # The constructor starts namespace watchers against a cluster; _build_pod_request reads only these.
    builder = AirflowKubernetesScheduler.__new__(AirflowKubernetesScheduler)
    builder.kube_config = executor.kube_config
    builder.namespace = executor.kube_config.kube_namespace
    builder.scheduler_job_id = executor.scheduler_job_id
    builder.supports_task_instance_uuid = executor.supports_task_instance_uuid
    return builder


def build_pods(cases):
    """{case name: the pod as the Kubernetes client would send it, or the hook's error}."""
    from airflow.executors import workloads
    from airflow.providers.cncf.kubernetes.pod_generator import PodGenerator
    from kubernetes.client import ApiClient

    executor = _executor()
    builder = _pod_builder(executor)
    pods = {}
    for case in cases:
        executor_config = {}
        if case.get("podOverride") is not None:
            # What a DAG writes as executor_config={"pod_override": k8s.V1Pod(...)}.
            executor_config["pod_override"] = PodGenerator.deserialize_model_dict(case["podOverride"])
        ti = workloads.TaskInstance(
            id=uuid.uuid4(),
            dag_version_id=uuid.uuid4(),
            dag_id=case["dagId"],
            task_id=case["taskId"],
            run_id="scheduled__2026-01-01T00:00:00+00:00",
            try_number=1,
            map_index=case.get("mapIndex", -1),
            pool_slots=1,
            queue="default",
            priority_weight=1,
            executor_config=executor_config,
        )
        workload = workloads.ExecuteTask(
            token="task-token-placeholder",
            ti=ti,
            dag_rel_path=f"{case['dagId']}.py",
            bundle_info=workloads.BundleInfo(name="dags-folder"),
            log_path=f"dag_id={case['dagId']}/task_id={case['taskId']}/attempt=1.log",
        )
        executor.queue_workload(workload, session=None)
        executor._process_workloads([workload])
        job = executor.task_queue.get_nowait()
        try:
            pod = builder._build_pod_request(job)
        except Exception as error:  # the hook refusing a pool is a result, not a crash
            cause = error.__cause__ or error
            pods[case["name"]] = {"error": f"{type(error).__name__}: {type(cause).__name__}: {cause}"}
            continue
        pods[case["name"]] = {"pod": ApiClient().sanitize_for_serialization(pod)}
    return pods
