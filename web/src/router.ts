import { createRouter, createWebHistory } from 'vue-router'
import { onUnauthorized } from './api/client'
import { currentAccount, forget } from './session'

// Every screen is its own chunk, loaded when first visited: the sign-in page downloads only
// what it shows.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/SignInView.vue'),
      meta: { title: '登录', public: true },
    },
    {
      path: '/register',
      name: 'register',
      component: () => import('./views/RegisterView.vue'),
      meta: { title: '注册', public: true },
    },
    {
      path: '/',
      component: () => import('./views/ShellLayout.vue'),
      children: [
        {
          path: '',
          name: 'dashboard',
          component: () => import('./views/DashboardView.vue'),
          meta: { title: '工作台' },
        },
        {
          path: 'activities',
          name: 'activities',
          component: () => import('./views/ActivitiesView.vue'),
          meta: { title: '申报活动' },
        },
        {
          path: 'applications',
          name: 'applications',
          component: () => import('./views/MyApplicationsView.vue'),
          meta: { title: '我的申报' },
        },
        {
          path: 'applications/:id',
          name: 'application',
          component: () => import('./views/ApplicationView.vue'),
          meta: { title: '申报详情' },
        },
        {
          path: 'applications/:id/edit',
          name: 'application-edit',
          component: () => import('./views/ApplicationEditView.vue'),
          meta: { title: '填写申报书' },
        },
        // web-org: the applicant's organization and account screens.
        {
          path: 'organization/filing',
          name: 'filing',
          component: () => import('./views/FilingView.vue'),
          meta: { title: '组织备案' },
        },
        {
          path: 'organization/members',
          name: 'members',
          component: () => import('./views/MembersView.vue'),
          meta: { title: '成员管理' },
        },
        {
          path: 'projects',
          name: 'projects',
          component: () => import('./views/ProjectsView.vue'),
          meta: { title: '申报主体' },
        },
        {
          path: 'projects/new',
          name: 'project-new',
          component: () => import('./views/ProjectEditView.vue'),
          meta: { title: '新建申报主体' },
        },
        {
          path: 'projects/:id',
          name: 'project',
          component: () => import('./views/ProjectEditView.vue'),
          meta: { title: '编辑申报主体' },
        },
        // qcperf: 小组/班组备案 (seed 001).
        {
          path: 'qc',
          name: 'qc',
          component: () => import('./views/QcView.vue'),
          meta: { title: '小组/班组备案' },
        },
        {
          path: 'account',
          name: 'account',
          component: () => import('./views/AccountView.vue'),
          meta: { title: '账号设置' },
        },
        // Reviewer (审查员): the filing and application queues and their decision screens.
        {
          path: 'review/filings',
          name: 'filing-queue',
          component: () => import('./views/review/FilingQueueView.vue'),
          meta: { title: '备案审核', roles: ['reviewer'] },
        },
        {
          path: 'review/filings/:id',
          name: 'filing-review',
          component: () => import('./views/review/FilingReviewView.vue'),
          meta: { title: '备案审核', roles: ['reviewer'] },
        },
        {
          path: 'review/applications',
          name: 'review-queue',
          component: () => import('./views/review/ReviewQueueView.vue'),
          meta: { title: '形式审查', roles: ['reviewer'] },
        },
        {
          path: 'review/applications/:id',
          name: 'review-workspace',
          component: () => import('./views/review/ReviewWorkspaceView.vue'),
          meta: { title: '形式审查', roles: ['reviewer'] },
        },
        // Organizer (组织方; operators too, as the API allows): the activities.
        {
          path: 'manage/activities',
          name: 'activity-list',
          component: () => import('./views/activities/ActivityListView.vue'),
          meta: { title: '申报活动', roles: ['organizer', 'operator'] },
        },
        {
          path: 'manage/activities/new',
          name: 'activity-new',
          component: () => import('./views/activities/ActivityEditView.vue'),
          meta: { title: '新建申报活动', roles: ['organizer', 'operator'] },
        },
        {
          path: 'manage/activities/:code/edit',
          name: 'activity-edit',
          component: () => import('./views/activities/ActivityEditView.vue'),
          meta: { title: '编辑申报活动', roles: ['organizer', 'operator'] },
        },
      ],
    },
    {
      path: '/:rest(.*)*',
      name: 'not-found',
      component: () => import('./views/NotFoundView.vue'),
      meta: { title: '页面不存在', public: true },
    },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const account = await currentAccount()
  if (!account) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  // A screen of another role: the server would refuse its data (403) anyway; say so on the
  // dashboard instead of showing an empty screen.
  const allowed = to.meta.roles
  if (Array.isArray(allowed) && !allowed.includes(account.account.role)) {
    return { name: 'dashboard', query: { denied: String(to.meta.title ?? '') } }
  }
  return true
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : ''
  document.title = title ? `${title} · Dossier 申报系统` : 'Dossier 申报系统'
})

onUnauthorized(() => {
  forget()
  const current = router.currentRoute.value
  if (!current.meta.public) {
    void router.push({ name: 'login', query: { next: current.fullPath } })
  }
})
